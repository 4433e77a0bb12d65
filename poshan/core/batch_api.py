from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .api import BatchAnswerSerializer, BatchItemSerializer
from .params import parse_batch
from .submissions import process_batch


class SubmissionBatchView(APIView):
    """Queued submissions from an offline phone, answered one by one (saved / duplicate / rejected).

    Each handler checks the caller's role and centre itself, exactly as the single endpoints do.
    """

    permission_classes = [IsAuthenticated]

    @extend_schema(request=BatchItemSerializer(many=True), responses=BatchAnswerSerializer(many=True))
    def post(self, request):
        return Response(process_batch(request.user, parse_batch(request.data)))
