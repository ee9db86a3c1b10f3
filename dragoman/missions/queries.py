from django.http import Http404

from .models import Mission


def get_mission(slug: str) -> Mission:
    mission = Mission.objects.filter(slug=slug).first()
    if mission is None:
        raise Http404("No such mission")
    return mission
