"""The home page offers each role the grievance and training pages it may use, and nothing more."""
import pytest
from django.urls import reverse


def tiles(client) -> str:
    return client.get(reverse("home")).content.decode()


def test_worker_home_offers_lodging_and_training(users, login):
    page = tiles(login(users.aww))
    assert "Lodge a grievance" in page and "Training videos" in page
    assert "Grievance desk" not in page and "AWWs trained" not in page


def test_helpline_home_offers_lodging_only(users, login):
    page = tiles(login(users.helpline))
    assert "Lodge a grievance" in page
    assert "Training videos" not in page and "Grievance figures" not in page and "Grievance desk" not in page


@pytest.mark.parametrize("role", ["supervisor", "cdpo", "dpo", "state"])
def test_officer_home_offers_desk_figures_and_training_counts(role, users, login):
    page = tiles(login(getattr(users, role)))
    assert all(label in page for label in ("Grievance desk", "Grievance figures", "Workers&#x27; learning",
                                           "Cascade training", "AWWs trained"))
