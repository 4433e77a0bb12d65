from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_SESSIONS = ["training.view_trainingsession", "training.add_trainingsession", "training.change_trainingsession"]
_OFFICER = ["training.view_video", "training.view_worker_progress", "training.view_training_counts"]


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")
    # The helpline gets nothing here; master trainers (supervisor, CDPO, DPO) and the state record sessions.
    role_permissions = {
        "aww": ["training.view_video"],
        "awh": ["training.view_video"],
        **{role: _OFFICER + _SESSIONS for role in ("supervisor", "cdpo", "dpo", "state")},
        "ministry": _OFFICER + ["training.view_trainingsession"],
        "admin": _OFFICER + ["training.view_trainingsession"] + [
            f"training.{verb}_{model}" for verb in ("add", "change", "delete") for model in ("video", "quizquestion")
        ],
    }
    home_tiles = (
        {"url": "training:library", "label": _("Training videos"), "hint": _("Counselling videos and self-learning"),
         "permission": "training.view_video"},
        {"url": "training:workers", "label": _("Workers' learning"), "hint": _("Modules completed by your workers"),
         "permission": "training.view_worker_progress"},
        {"url": "training:sessions", "label": _("Cascade training"), "hint": _("Poshan Bhi Padhai Bhi sessions"),
         "permission": "training.view_trainingsession"},
        {"url": "training:counts", "label": _("AWWs trained"), "hint": _("Workers trained, by area"),
         "permission": "training.view_training_counts"},
    )
