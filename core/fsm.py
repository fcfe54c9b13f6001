"""django-fsm's optimistic lock for every model with a state machine.

django-fsm's ConcurrentTransitionMixin remembers each loaded row's state so that a save
whose state changed meanwhile is refused (ConcurrentTransition). To find the state fields it
filters every field of the model on every instance it loads; on a hundred-row admin list that
was a fifth of the request's time. The fields are the same for every instance of a class, so
they are found once per class here.
"""
import django_fsm
from django_fsm import FSMFieldMixin


class ConcurrentTransitionMixin(django_fsm.ConcurrentTransitionMixin):
    @property
    def state_fields(self):
        cls = type(self)
        fields = cls.__dict__.get("_fsm_state_fields")
        if fields is None:
            fields = tuple(f for f in cls._meta.fields if isinstance(f, FSMFieldMixin))
            cls._fsm_state_fields = fields
        return fields
