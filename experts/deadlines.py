"""The experts app's deadline scanners live with their concern; core.deadlines discovers this
module, which registers them."""
from experts.pool import deadlines as pool_deadlines  # noqa: F401
from experts.review import deadlines as review_deadlines  # noqa: F401
