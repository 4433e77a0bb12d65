"""API of malnutrition management (DRF, thin): read cases with their derived state and events, record any
protocol step, and the offline queue's `case_followup` item. Serializers check shapes; services decide."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from poshan.core.api import ModelSerializer, ScopedAPIMixin

from . import selectors
from .models import Case, CaseEvent
from .views import STEPS


class CaseEventSerializer(ModelSerializer):
    class Meta:
        model = CaseEvent
        fields = ["id", "kind", "date", "payload", "measurement", "created_at"]


class DueSerializer(serializers.Serializer):
    step = serializers.CharField()
    on = serializers.DateField()


class CaseSerializer(ModelSerializer):
    due = serializers.SerializerMethodField()
    refer_because = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = ["id", "child", "awc", "category", "opened_on", "opened_by", "relapse_of", "rules_version",
                  "is_open", "status", "level", "outcome", "closed_on", "next_step", "next_due", "overdue_steps",
                  "referral_open_since", "last_followup_on", "sam_no_followup_alert", "weight_gain_g_kg_day",
                  "due", "refer_because", "events"]

    def _state(self, case):
        states = self.context.setdefault("states", {})
        if case.pk not in states:
            [(_case, states[case.pk])] = selectors.with_states([case], today=timezone.localdate())
        return states[case.pk]

    def get_due(self, case) -> list[dict]:
        return [{"step": d.step, "on": d.on} for d in self._state(case).due]

    def get_refer_because(self, case) -> list[str]:
        return list(self._state(case).refer_because)

    def get_events(self, case) -> list[dict]:
        if not self.context.get("with_events"):
            return []
        return CaseEventSerializer(sorted(case.events.all(), key=lambda e: (e.date, e.id)), many=True).data


class StepSerializer(serializers.Serializer):
    """One protocol step: `kind` names it (the page's step names), the other fields are the step's."""

    kind = serializers.ChoiceField(choices=sorted(STEPS))
    date = serializers.DateField()
    client_uuid = serializers.UUIDField(required=False, allow_null=True)
    result = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    signs = serializers.ListField(child=serializers.CharField(), required=False)
    facility = serializers.CharField(required=False, allow_blank=True, max_length=300)
    outcome = serializers.CharField(required=False, allow_blank=True)
    weight_kg = serializers.DecimalField(required=False, allow_null=True, max_digits=5, decimal_places=2)
    findings = serializers.CharField(required=False, allow_blank=True, max_length=300)
    medicines = serializers.ListField(child=serializers.CharField(), required=False)
    muac_cm = serializers.DecimalField(required=False, allow_null=True, max_digits=4, decimal_places=1)
    oedema = serializers.BooleanField(required=False, default=False)
    appetite = serializers.CharField(required=False, allow_blank=True)
    illness = serializers.CharField(required=False, allow_blank=True, max_length=300)
    complications = serializers.ListField(child=serializers.CharField(), required=False)
    name = serializers.CharField(required=False, allow_blank=True, max_length=300)
    topic = serializers.CharField(required=False, allow_blank=True, max_length=300)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)

    DEFAULTS = {"signs": [], "medicines": [], "complications": [], "oedema": False, "weight_kg": None,
                "muac_cm": None}

    def validate(self, data):
        if data["kind"] == "follow-up" and data.get("weight_kg") is None:
            raise serializers.ValidationError({"weight_kg": [_required()]})
        return data


def _required() -> str:
    from django.utils.translation import gettext as _

    return _("This field is required.")


def record_step(*, user, case: Case, data: dict) -> CaseEvent:
    _form, service, fields = STEPS[data["kind"]]
    kwargs = {name: data.get(name, StepSerializer.DEFAULTS.get(name, "")) for name in fields}
    return service(actor=user, case=case, on=data["date"], client_uuid=data.get("client_uuid"), **kwargs)


class CaseViewSet(ScopedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Malnutrition cases of the caller's area (open first), with what is due; one case with its events."""

    serializer_class = CaseSerializer
    queryset = Case.objects.select_related("child").order_by("-is_open", "next_due", "id")
    required_permissions = {"GET": ["growth.view_case"], "POST": ["growth.view_case", "growth.manage_case"]}
    personal_data = True

    def scope_queryset(self, queryset, user):
        return queryset.filter(selectors.cases_q(user))

    def paginate_queryset(self, queryset):
        """The page's cases, each with its state derived for today: their events read in one query for the
        page, not one per case."""
        page = super().paginate_queryset(queryset)
        if page is not None:
            self.states = {case.pk: state for case, state in selectors.with_states(page, today=timezone.localdate())}
        return page

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "with_events": self.action == "retrieve",
                "states": getattr(self, "states", {})}

    @extend_schema(request=StepSerializer, responses={201: CaseEventSerializer})
    @action(detail=True, methods=["post"], url_path="steps")
    def steps(self, request, pk=None):
        case = super(ScopedAPIMixin, self).get_object()  # a write: audited by its service, not as a read
        serializer = StepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = record_step(user=request.user, case=case, data=serializer.validated_data)
        return Response(CaseEventSerializer(event).data, status=status.HTTP_201_CREATED)


def record_case_followup(user, payload: dict, client_uuid=None) -> dict:
    """The offline queue's `case_followup` item: `{case, date, weight_kg, muac_cm, oedema, appetite, illness,
    complications}`, through the same service as the page and the endpoint."""
    if not (user.has_perm("growth.view_case") and user.has_perm("growth.manage_case")):
        raise PermissionDenied
    serializer = StepSerializer(data={**payload, "kind": "follow-up", "client_uuid": client_uuid})
    serializer.is_valid(raise_exception=True)
    case_id = payload.get("case")
    case = selectors.scoped_cases(user).filter(pk=case_id if isinstance(case_id, int) else -1).first()
    if case is None:
        raise serializers.ValidationError({"case": [_not_found()]})
    event = record_step(user=user, case=case, data=serializer.validated_data)
    return dict(CaseEventSerializer(event).data)


def _not_found() -> str:
    from django.utils.translation import gettext as _

    return _("Not found")
