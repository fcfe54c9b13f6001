"""Page parts cached until a table they were built from is written.

A signed-in page spends most of its time building its body: the ORM compiles each query's SQL
and turns rows into objects. The body rarely changes between two visits, so it is kept in the
cache per person, per browser and per address, and built again only when something it was
built from has changed.

Which tables a body was built from is not declared by hand (a forgotten table would show stale
data); it is observed:

- Every SQL statement Django runs passes ``_watch``, a connection execute wrapper installed on
  every new connection, in web and worker processes alike. A write (INSERT, UPDATE, DELETE,
  TRUNCATE; queryset ``update()`` and bulk writes included) stamps each table it touches with
  the next value of a shared counter: immediately (in a transaction, at the table's first
  write), for reads later in the same transaction, and once more after the transaction
  commits, when other processes can see the new rows.
- ``TableReadsMiddleware`` notes, for the whole request, the tables its SELECTs read, and takes
  the counter's value before the first of them.
- A part built on a miss is stored with every table the request has read so far (the
  permission checks before it included) and that counter value. It is served again only while
  no stamp of those tables is newer than that value.

What a part shows must therefore come from the database or from its key: the person, the
browser's CSRF secret (forms inside carry a token), the address with its query string, the day
(deadlines and "overdue" are counted in days) and any extra values the template names. A part
lives FRAGMENT_CACHE_SECONDS at most, which bounds anything else, such as an edit made outside
Django, writes made while Redis was unreachable, or a worker killed between its commit and
its second stamp. Values kept with ``cached_value`` (the signed-in account, a member's own
records) follow the same rules, and their tables count as read by the request that uses them.

The counter needs an atomic increment shared by every process: Redis in production, or the
in-process cache of a single-process test run. ``settings.FRAGMENT_CACHE`` turns it on.
"""
import contextvars
import functools
import hashlib
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django_redis import get_redis_connection
from redis.exceptions import RedisError

COUNTER = "fragments:counter"
STAMP = "fragments:table:{}"
ENTRY = "fragments:entry:{}:{}"
VALUE = "fragments:value:{}:{}"

_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+"(\w+)"', re.I)
_TRUNCATED = re.compile(r'"(\w+)"')
_READ = re.compile(r'\b(?:FROM|JOIN)\s+"(\w+)"', re.I)
# Session rows change on every sign-in and idle refresh; no part shows them.
_NOT_A_SOURCE = frozenset({"django_session"})


@dataclass
class _Reads:
    """The tables a request has read, and the counter's value before its first read."""
    started: bool = False
    since: int | None = None  # None after the start: the cache was down, keep nothing
    tables: set[str] = field(default_factory=set)


_reads: contextvars.ContextVar[_Reads | None] = contextvars.ContextVar("fragment_reads", default=None)
_kept_count = 0  # entries this process has kept (see PostCommitStamp)


def enabled() -> bool:
    return getattr(settings, "FRAGMENT_CACHE", False)


# --- Observing the database ------------------------------------------------------------

def watch_connection(sender, connection, **kwargs):
    """connection_created receiver: put ``_watch`` on the connection (once; the wrapper list
    outlives reconnections)."""
    if enabled() and _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def _watch(execute, sql, params, many, context):
    written = _written_tables(sql)
    if written:
        result = execute(sql, params, many, context)
        connection = context["connection"]
        # In a transaction a table is stamped once at its first write, for the transaction's
        # own later reads, and again after commit; a batch of writes costs two stamps a table.
        _stamp(_stamp_after_commit(connection, written) if connection.in_atomic_block else written)
        return result
    reads = _reads.get()
    if reads is not None:
        _start(reads)
        reads.tables.update(_READ.findall(sql))
    return execute(sql, params, many, context)


class PostCommitStamp:
    """One on_commit callback per transaction, stamping every table it wrote. It remembers
    how many entries had been kept when it last stamped each table at once: another write to
    the table is stamped at once again only if something has been kept since, which may
    have been built from the transaction's own rows."""

    def __init__(self):
        self.stamped: dict[str, int] = {}

    @property
    def tables(self) -> set[str]:
        return set(self.stamped)

    def __call__(self):
        _stamp(self.tables)


def _stamp_after_commit(connection, tables: set[str]) -> set[str]:
    """Add ``tables`` to the transaction's post-commit stamp; the ones to stamp at once too."""
    # Django only appends to the list of callbacks, or replaces the list (at commit, at a
    # savepoint's rollback): while the list is the one the callback was found in, it is there.
    held = getattr(connection, "_post_commit_stamp", None)
    if held is not None and held[0] is connection.run_on_commit:
        callback = held[1]
    else:
        # Django drops a rolled-back transaction's callbacks, so one found here is this
        # transaction's own.
        callback = next((c for _, c, _ in connection.run_on_commit if isinstance(c, PostCommitStamp)), None)
        if callback is None:
            callback = PostCommitStamp()
            transaction.on_commit(callback, using=connection.alias)
        connection._post_commit_stamp = (connection.run_on_commit, callback)
    due = {table for table in tables if callback.stamped.get(table) != _kept_count}
    callback.stamped.update(dict.fromkeys(due, _kept_count))
    return due


def _start(reads: _Reads) -> None:
    if not reads.started:
        reads.started, reads.since = True, _counter()


def _written_tables(sql: str) -> set[str]:
    match = _WRITE.match(sql)
    if match is None:
        return set()
    if sql.lstrip()[:8].upper() == "TRUNCATE":
        return set(_TRUNCATED.findall(sql.split(";")[0]))
    return {match.group(1)}


def _counter() -> int | None:
    """The counter's value; None while the cache cannot be reached."""
    if not _cache_up():
        return None
    value = cache.get(COUNTER)
    if value is None:
        # A lost counter starts again from the clock in milliseconds, ahead of any value it had
        # reached (stamps are far rarer than one a millisecond), so old parts stay invalid.
        cache.add(COUNTER, int(time.time() * 1000), timeout=None)
        value = cache.get(COUNTER)
        if value is None:
            _cache_down()
    return value


# On Redis a stamp is one round trip: the counter's next value (from the clock in milliseconds
# when the counter was lost, as in _counter) set on every table written.
_STAMP_SCRIPT = """
local value
if redis.call('EXISTS', KEYS[1]) == 1 then
  value = redis.call('INCR', KEYS[1])
else
  value = tonumber(ARGV[1])
  redis.call('SET', KEYS[1], value)
end
for i = 2, #KEYS do redis.call('SET', KEYS[i], value) end
return value
"""


@functools.cache
def _stamp_script():
    """The registered script on django-redis's connection; None for any other cache."""
    try:
        return get_redis_connection("default").register_script(_STAMP_SCRIPT)
    except NotImplementedError:
        return None


def _stamp(tables: set[str]) -> None:
    if not tables or not _cache_up():
        return
    script = _stamp_script()
    if script is not None:
        try:
            script(keys=[cache.make_key(key) for key in (COUNTER, *(STAMP.format(t) for t in tables))],
                   args=[int(time.time() * 1000)])
        except RedisError:
            _cache_down()
        return
    try:
        value = cache.incr(COUNTER)
    except ValueError:  # no counter yet
        _counter()
        value = cache.incr(COUNTER) if _cache_up() else None
    if value is None:  # the cache answered nothing: it is down
        _cache_down()
        return
    cache.set_many({STAMP.format(table): value for table in tables}, timeout=None)


# While the cache is down, writes cannot be stamped; parts kept from before the outage are then
# trusted for FRAGMENT_CACHE_SECONDS at most. Each process stops asking a cache that failed for
# a while, so an outage does not add a timeout to every statement.
_down_until = 0.0
BREAK_SECONDS = 30


def _cache_up() -> bool:
    return time.monotonic() >= _down_until


def _cache_down() -> None:
    global _down_until
    _down_until = time.monotonic() + BREAK_SECONDS


# --- The request's reads ---------------------------------------------------------------

class TableReadsMiddleware:
    """Notes the tables a request reads (see the module's docstring). First in MIDDLEWARE, so
    the session and the signed-in person's row count too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled():
            return self.get_response(request)
        token = _reads.set(_Reads())
        try:
            return self.get_response(request)
        finally:
            _reads.reset(token)


# --- Cached parts ----------------------------------------------------------------------

def cached_html(request, name: str, build, *, vary=(), shared=False, address: str | None = None) -> str:
    """The HTML of the part ``name`` for this request: from the cache while nothing it was built
    from has changed, otherwise ``build()`` (which returns the HTML, or None when this
    rendering must not be kept) and kept. Only GET and HEAD requests use the cache. A
    ``shared`` part is the same for every visitor: neither the person nor the browser is in its
    key, so it must hold no form that posts (its token would be another browser's)."""
    if not _may_keep(request):
        return build()
    reads = _reads.get()
    key = ENTRY.format(name, _digest(request, vary, shared, address))
    entry = _valid_entry(name, key)
    if entry is not None:
        # A page kept whole around this part was built from the part's sources too.
        reads.tables.update(entry["tables"])
        return entry["html"]
    html = build()
    if html is not None:
        _keep(name, key, {"html": html}, reads.tables - _NOT_A_SOURCE,
              reads.since if reads.started else _counter(), settings.FRAGMENT_CACHE_SECONDS)
    return html


def _tracked_reads() -> _Reads | None:
    """The request's reads while kept values may be used: inside TableReadsMiddleware with
    the cache up (None otherwise)."""
    reads = _reads.get()
    return reads if enabled() and reads is not None and _cache_up() else None


def _may_keep(request) -> bool:
    """Whether this request may be answered from, or add to, the cache of pages and parts:
    a GET or HEAD whose reads are tracked."""
    return request.method in ("GET", "HEAD") and _tracked_reads() is not None


def cached_response(request, name: str, respond, *, shared=False, address: str | None = None):
    """``respond()``'s response, kept whole like a part (``cached_html``) when it is a rendered
    200 page that sets no cookie: the base layout, the view's permission checks and its body
    are then all skipped until something they read changes. The key also carries every
    registered layout input (``layout_input``). A request with a message waiting to be shown,
    or a view that adds one, is neither served nor kept; nor is a ``shared`` page with a form
    that posts. ``address`` replaces the request's full address in the key (``page_address``)."""
    if not _may_keep(request) or len(get_messages(request)):
        return respond()  # and the layout inputs are not asked for
    built = None

    def build():
        nonlocal built
        built = respond()
        if built.status_code != 200 or getattr(built, "streaming", False) or built.cookies:
            return None
        if hasattr(built, "render"):
            built.render()
        if len(get_messages(request)):  # added by the view and shown once: not for the next visit
            return None
        if shared and b"csrfmiddlewaretoken" in built.content:
            return None
        return built.content.decode(built.charset)

    html = cached_html(request, name, build, vary=_layout_values(request), shared=shared, address=address)
    return built if built is not None else HttpResponse(html)


def page_address(request, params: tuple[str, ...]) -> str:
    """A visitor's page as a cache key knows it: the path and the query parameters the view
    reads (their last value, as ``request.GET.get`` gives it), in a fixed order. Anything else
    in the address changes nothing on the page, so it makes no entry of its own: junk
    parameters cannot fill the cache with copies and push the useful entries out."""
    read = [(name, request.GET[name]) for name in sorted(params) if request.GET.get(name)]
    return f"{request.path}?{urlencode(read)}" if read else request.path


def kept_public_page(*, params: tuple[str, ...] = ()):
    """View decorator for a public page that shows what the database holds (the result
    registry, say): a visitor's GET answer is kept whole and shared by every visitor until a
    table it read is written, keyed by the query parameters the view reads (``params``). A
    signed-in person's header is their own: answered afresh."""
    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.user.is_authenticated or not settings.VISITOR_PAGE_CACHE:
                return view(request, *args, **kwargs)
            return cached_response(request, f"public:{view.__module__}.{view.__qualname__}",
                                   lambda: view(request, *args, **kwargs), shared=True,
                                   address=page_address(request, params))
        return wrapped
    return decorate


def kept_page(access):
    """View decorator: a signed-in person's GET answers kept whole (``cached_response``). Put
    it under the decorators that sign in or refuse, so those still run on every request.

    ``access(request, **kwargs)`` says whether this person may see this page, and is asked
    afresh on every request, kept page or not: a kept page is only a body, never the access
    decision (SECURITY.md 26). Whatever the cache holds (a write made while the cache was
    unreachable leaves a page kept past a change), someone who lost access gets a 404. It must
    read the database itself (no ``cached_value``). A visitor's answer is not kept (each
    browser would need an entry of its own)."""
    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return view(request, *args, **kwargs)
            if not access(request, *args, **kwargs):
                raise Http404
            return cached_response(request, f"page:{view.__module__}.{view.__qualname__}",
                                   lambda: view(request, *args, **kwargs))
        return wrapped
    return decorate


def active_account(request, *args, **kwargs) -> bool:
    """The access of a page that shows only the person's own records: their account is active
    (read afresh, not from the account kept for the session)."""
    return get_user_model().objects.filter(pk=request.user.pk, is_active=True).exists()


_layout_inputs: list = []


def layout_input(value, *, cache_key=None):
    """Register ``value(request)``: something the base layout shows that the request does not
    read from the database (a count kept in its own cache, roles held in the session, the
    site's content version). Pages kept whole are keyed by it. Apps register in ready().

    A value kept in its own cache entry names it with ``cache_key(request)`` (None where there
    is none): the entries of all inputs are then read in one round trip, and ``value`` is
    called only for an entry that is missing."""
    _layout_inputs.append((value, cache_key))
    return value


def _layout_values(request) -> list:
    keys = [cache_key(request) if cache_key else None for _, cache_key in _layout_inputs]
    found = cache.get_many([key for key in keys if key is not None])
    return [found[key] if key in found else value(request) for (value, _), key in zip(_layout_inputs, keys, strict=True)]


def cached_value(name: str, key, build):
    """A value built from the database by ``build()`` (a signed-in person's own row, say),
    kept like a page part until a table it was read from is written. The value must pickle.
    Its tables count as read by the request, so a part built from it changes with it."""
    reads = _tracked_reads()
    if reads is None:
        return build()
    entry_key = VALUE.format(_schema(), f"{name}:{key}")
    # The request's counter value comes before this value is trusted (read with it).
    entry = _valid_entry(name, entry_key, start=reads)
    if entry is not None:
        reads.tables.update(entry["tables"])
        return entry["value"]
    since, outer = _counter(), reads.tables
    reads.tables = set()
    try:
        value = build()
        tables = reads.tables - _NOT_A_SOURCE
    finally:
        reads.tables = outer | reads.tables
    _keep(name, entry_key, {"value": value}, tables, since, settings.FRAGMENT_CACHE_SECONDS)
    return value


@functools.cache
def _schema() -> str:
    """Kept values are pickled model instances: a release that changes a model's fields does
    not read the previous release's."""
    from django.apps import apps

    fields = sorted(f"{model._meta.label}.{field.attname}" for model in apps.get_models()
                    for field in model._meta.concrete_fields)
    return hashlib.sha256("\n".join(fields).encode()).hexdigest()[:12]


def _keep(name: str, key: str, entry: dict, tables: set[str], since: int | None, timeout: int) -> None:
    """Store ``entry`` if none of ``tables`` was written after the counter read ``since``."""
    if since is None:
        return
    _sources_of[name] = frozenset(tables)
    stamps = _stamps(tables)
    if len(stamps) < len(tables):
        # A table never written since the counter started gets a stamp now, so that a
        # stamp missing later (evicted) reads as "changed", never as "unchanged".
        now = _counter()
        for table in tables - stamps.keys():
            cache.add(STAMP.format(table), now, timeout=None)
        stamps = _stamps(tables)
    if _unchanged(stamps, tables, since):
        global _kept_count
        _kept_count += 1
        cache.set(key, {**entry, "since": since, "tables": sorted(tables)}, timeout=timeout)


def _digest(request, vary, shared: bool, address: str | None = None) -> str:
    user = getattr(request, "user", None)
    parts = [
        *(() if shared else (str(getattr(user, "pk", None)), _csrf_secret(request))),
        address if address is not None else request.get_full_path(),
        timezone.localdate().isoformat(),
        *(str(value) for value in vary),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _csrf_secret(request) -> str:
    """Forms inside a part carry a CSRF token, which only this browser's secret accepts."""
    get_token(request)  # makes sure the browser has a secret
    return request.META["CSRF_COOKIE"]


def _stamps(tables) -> dict[str, int]:
    keys = {STAMP.format(table): table for table in tables}
    return {keys[key]: value for key, value in cache.get_many(list(keys)).items()}


def _unchanged(stamps: dict[str, int], tables, since: int) -> bool:
    return len(stamps) == len(tables) and all(
        stamp is not None and stamp <= since for stamp in stamps.values())


# The tables each named part or value was last built from in this process: their stamps are
# fetched together with the entry, so checking an entry costs one round trip, not two.
_sources_of: dict[str, frozenset[str]] = {}


def _valid_entry(name: str, key: str, *, start: _Reads | None = None) -> dict | None:
    """The entry kept at ``key`` if none of its tables was written since it was built, else
    None. Reads the entry, the stamps of the tables ``name`` was last built from, and (to
    ``start`` a request that has not read it yet) the counter in one round trip; the stamps of
    any other table the entry names in a second."""
    expected = _sources_of.get(name, frozenset())
    starting = start is not None and not start.started
    keys = {key: None, **{STAMP.format(table): table for table in expected}, **({COUNTER: None} if starting else {})}
    found = cache.get_many(list(keys))
    if starting:
        counter = found.get(COUNTER)
        start.started, start.since = True, counter if counter is not None else _counter()
    entry = found.get(key)
    if entry is None:
        return None
    stamps = {keys[stamp]: value for stamp, value in found.items() if keys.get(stamp) in entry["tables"]}
    unexpected = set(entry["tables"]) - expected
    if unexpected:
        stamps.update(_stamps(unexpected))
        _sources_of[name] = frozenset(entry["tables"])
    return entry if _unchanged(stamps, entry["tables"], entry["since"]) else None
