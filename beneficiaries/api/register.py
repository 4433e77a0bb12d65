"""The register's API, for the offline client and integrations: same services, same messages."""
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from anganwadi.selectors import awc_by_code, own_awc, scope_queryset
from poshan.core.api import ScopedAPIMixin
from poshan.core.audit import personal_read_note
from poshan.core.scoping import OwnCentreMixin
from poshan.core.search import looks_like_number, refusal_logged_without_address

from .. import selectors, services
from .. import serializers as s
from ..models import Beneficiary, Household, Pregnancy, Transfer

VIEW = ["beneficiaries.view_beneficiary"]
WRITE = ["beneficiaries.add_beneficiary"]


def _consent(data) -> services.ConsentInput | None:
    consent = data.get("consent")
    if not consent:
        return None
    # A PATCH validates partially: DRF then leaves out the nested defaults (relation "self").
    return services.ConsentInput(given_by=consent["given_by"], relation=consent.get("relation", "self"),
                                 purposes=tuple(consent["purposes"]))


class HouseholdViewSet(OwnCentreMixin, ScopedAPIMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Household.objects.order_by("head_name", "pk")
    serializer_class = s.HouseholdSerializer
    required_permissions = {"GET": VIEW, "POST": WRITE}
    personal_data = True

    def scope_queryset(self, queryset, user):
        return scope_queryset(queryset, user)

    @extend_schema(request=s.HouseholdCreateSerializer, responses={201: s.HouseholdSerializer})
    def create(self, request, *args, **kwargs):
        awc = self.own_awc
        data = s.HouseholdCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        household = services.household_register(
            actor=request.user, awc=awc, consent=_consent(v), client_uuid=v.get("client_uuid"),
            data=services.HouseholdInput(head_name=v["head_name"], hamlet=v["hamlet"], address=v["address"],
                                         social_category=v["social_category"], is_minority=v["is_minority"],
                                         mobile=v["mobile"]),
        )
        return Response(s.HouseholdSerializer(household).data, status=status.HTTP_201_CREATED)


class BeneficiaryViewSet(OwnCentreMixin, ScopedAPIMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                         viewsets.ReadOnlyModelViewSet):
    queryset = Beneficiary.objects.select_related("awc", "household").prefetch_related("pregnancies").order_by(
        "name", "pk")
    serializer_class = s.BeneficiarySerializer
    required_permissions = {"GET": VIEW, "POST": WRITE, "PATCH": WRITE}
    http_method_names = ["get", "post", "patch", "head", "options"]
    personal_data = True

    def scope_queryset(self, queryset, user):
        return scope_queryset(queryset, user)

    def get_permissions(self):
        if self.action == "search":  # a read, sent by POST so that a number stays out of the address
            self.required_permissions = {"POST": VIEW}
        return super().get_permissions()

    def _found(self, request, params):
        filters = selectors.RegisterFilters(q=params.get("q", ""), category=params.get("category", ""),
                                            show=params.get("show", "current"))
        page = self.paginate_queryset(selectors.beneficiary_list(user=request.user, filters=filters))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(parameters=[OpenApiParameter("q", str, description="a name (a number only through search/)"),
                               OpenApiParameter("category", str),
                               OpenApiParameter("show", str, enum=["current", "all", "left"])])
    def list(self, request, *args, **kwargs):
        if looks_like_number(request.query_params.get("q", "")):
            refused = Response({"q": [_("Send a number in the body of POST /api/v1/beneficiaries/search/, "
                                        "never in the address.")]}, status=status.HTTP_400_BAD_REQUEST)
            return refusal_logged_without_address(request, refused)
        return self._found(request, request.query_params)

    @extend_schema(request=s.RegisterSearchSerializer, responses=s.BeneficiarySerializer(many=True))
    @action(detail=False, methods=["post"])
    def search(self, request):
        """The register searched by name, family head or mobile number, sent in the body (pages: limit/offset)."""
        data = s.RegisterSearchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        personal_read_note(request, object_type="beneficiaries.beneficiary", object_id="api:search")
        return self._found(request, data.validated_data)

    @extend_schema(request=s.BeneficiaryCreateSerializer, responses={201: s.BeneficiarySerializer})
    def create(self, request, *args, **kwargs):
        beneficiary = _register(request.user, request.data)
        return Response(self.get_serializer(beneficiary).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.BeneficiaryUpdateSerializer, responses=s.BeneficiarySerializer)
    def partial_update(self, request, *args, **kwargs):
        awc = self.own_awc
        beneficiary = get_object_or_404(self.filter_queryset(self.get_queryset()).filter(awc=awc), pk=kwargs["pk"])
        data = s.BeneficiaryUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        updated = services.beneficiary_update(actor=request.user, beneficiary=beneficiary, changes=data.changes(),
                                              aadhaar=data.validated_data.get("aadhaar") or None,
                                              consent=_consent(data.validated_data))
        return Response(self.get_serializer(updated).data)


def _register(user, body, client_uuid=None) -> Beneficiary:
    awc = own_awc(user)
    data = s.BeneficiaryCreateSerializer(data=body)
    data.is_valid(raise_exception=True)
    v = data.validated_data
    household = scope_queryset(Household.objects.filter(awc=awc), user).filter(pk=v["household"]).first()
    if household is None:
        raise ValidationError({"household": ["No such family at your centre."]})
    person = services.PersonInput(
        name=v["name"], sex=v["sex"], dob=v.get("dob"), age_years=v.get("age_years"),
        relation_to_head=v["relation_to_head"], disability=v["disability"], is_resident=v["is_resident"],
        aadhaar=v["aadhaar"], enrol_as=v["enrol_as"], lmp=v.get("lmp"), delivery_date=v.get("delivery_date"),
    )
    return services.beneficiary_register(actor=user, household=household, person=person, consent=_consent(v),
                                         client_uuid=client_uuid or v.get("client_uuid"),
                                         confirm_duplicate=v["confirm_duplicate"])


def register_person(user, payload: dict, client_uuid=None) -> dict:
    """The offline batch's "registration": the same checks and answers as POST /api/v1/beneficiaries/."""
    if not user.has_perms(WRITE):
        raise PermissionDenied
    return dict(s.BeneficiarySerializer(_register(user, payload, client_uuid)).data)


class PregnancyViewSet(OwnCentreMixin, ScopedAPIMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Pregnancy.objects.select_related("woman").order_by("-pk")
    serializer_class = s.PregnancySerializer
    required_permissions = {"GET": VIEW, "POST": WRITE}
    personal_data = True

    def scope_queryset(self, queryset, user):
        return scope_queryset(queryset, user, awc_field="woman__awc")

    @extend_schema(request=s.PregnancyCreateSerializer, responses={201: s.PregnancySerializer})
    def create(self, request, *args, **kwargs):
        awc = self.own_awc
        data = s.PregnancyCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        woman = get_object_or_404(selectors.scoped_beneficiaries(request.user).filter(awc=awc),
                                  pk=data.validated_data["woman"])
        pregnancy = services.pregnancy_register(actor=request.user, woman=woman, lmp=data.validated_data["lmp"],
                                                client_uuid=data.validated_data.get("client_uuid"))
        return Response(s.PregnancySerializer(pregnancy).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.DeliverySerializer, responses={201: s.BeneficiarySerializer(many=True)})
    @action(detail=True, methods=["post"])
    def delivery(self, request, pk=None):
        awc = self.own_awc
        pregnancy = get_object_or_404(self.filter_queryset(self.get_queryset()).filter(woman__awc=awc), pk=pk)
        data = s.DeliverySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        children = services.delivery_record(
            actor=request.user, pregnancy=pregnancy, delivery_date=v["delivery_date"], outcome=v["outcome"],
            newborns=[services.NewbornInput(name=n["name"], sex=n["sex"], birth_weight_kg=n.get("birth_weight_kg"))
                      for n in v["newborns"]],
        )
        return Response(s.BeneficiarySerializer(children, many=True).data, status=status.HTTP_201_CREATED)


class TransferViewSet(OwnCentreMixin, ScopedAPIMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Transfer.objects.order_by("-requested_at")
    serializer_class = s.TransferSerializer
    required_permissions = {"GET": ["beneficiaries.view_transfer"], "POST": ["beneficiaries.add_transfer"]}
    personal_data = True

    def scope_queryset(self, queryset, user):
        return queryset.filter(pk__in=selectors.transfers_for(user=user).values("pk"))

    def _out(self, transfers: list[Transfer]) -> list[Transfer]:
        return selectors.transfers_mark_hidden(user=self.request.user, transfers=transfers)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()).select_related("beneficiary"))
        return self.get_paginated_response(self.get_serializer(self._out(list(page)), many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(self._out([self.get_object()])[0]).data)

    @extend_schema(request=s.TransferCreateSerializer, responses={201: s.TransferSerializer})
    def create(self, request, *args, **kwargs):
        awc = self.own_awc
        data = s.TransferCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        beneficiary = get_object_or_404(selectors.scoped_beneficiaries(request.user).filter(awc=awc),
                                        pk=v["beneficiary"])
        to_awc = awc_by_code(v["to_awc_code"])
        if to_awc is None:
            raise ValidationError({"to_awc_code": ["No active Anganwadi centre has this code."]})
        transfer = services.transfer_request(actor=request.user, beneficiary=beneficiary, to_awc=to_awc,
                                             kind=v["kind"], expected_return=v.get("expected_return"))
        return Response(s.TransferSerializer(self._out([transfer])[0]).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.TransferPullSerializer, responses={201: s.TransferSerializer})
    @action(detail=False, methods=["post"])
    def pull(self, request):
        awc = self.own_awc
        data = s.TransferPullSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        transfer = services.transfer_pull(actor=request.user, to_awc=awc, aadhaar=v["aadhaar"], kind=v["kind"],
                                          expected_return=v.get("expected_return"))
        return Response(s.TransferSerializer(self._out([transfer])[0]).data, status=status.HTTP_201_CREATED)

    def _decide(self, request, pk, *, accept: bool):
        awc = self.own_awc
        transfer = self.get_object()
        decided = services.transfer_decide(actor=request.user, transfer=transfer, accept=accept, deciding_awc=awc)
        return Response(s.TransferSerializer(self._out([decided])[0]).data)

    @extend_schema(request=None, responses=s.TransferSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._decide(request, pk, accept=True)

    @extend_schema(request=None, responses=s.TransferSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, pk, accept=False)

    @extend_schema(request=None, responses=s.TransferSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_home(self, request, pk=None):
        awc = self.own_awc
        transfer = services.transfer_return(actor=request.user, transfer=self.get_object(), returning_to=awc)
        return Response(s.TransferSerializer(self._out([transfer])[0]).data)
