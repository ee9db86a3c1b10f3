"""What a community's managers may do in the Wagtail admin, and who credits their entries.

Each community has a managers' group beside its members' group: Wagtail page permissions on
the community's private blog (its subtree: add, change, publish entries, as a blogger has on
a blog, `dragoman.authoring.roles`), collection permissions on the community's collection
(add, choose and change images and documents) and the right to open the admin. Wagtail's
explorer, choosers and listings then show a manager only that blog and that collection.
Services add and remove people (`services.manager_rights_sync`), so the rights follow the
role at every change of state.

Written against an app registry argument so that the data migration (historical models)
and the services (real models) share one definition, as `authoring.roles` does.

An entry needs an author, and every `Blogger` is public (a profile page, the advanced
search, an ActivityPub actor). A manager who is only a trusted member must not be named
there, so community entries are credited to one shared profile that names no community and
no person (`COMMUNITY_AUTHOR_SLUG`); the community's own audit log and Wagtail's page history
say which manager wrote what.
"""

from __future__ import annotations

from typing import Any

from dragoman.authoring.roles import BLOG_PAGE_PERMISSIONS

MANAGER_PERMISSIONS = [("wagtailadmin", "access_admin")]
# A blogger's rights on a blog, on the community's blog only.
MANAGER_PAGE_PERMISSIONS = list(BLOG_PAGE_PERMISSIONS)
MANAGER_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]

COMMUNITY_AUTHOR_SLUG = "community-managers"
COMMUNITY_AUTHOR_NAME = "Community managers"
COMMUNITY_AUTHOR_JOB_TITLE = "Managers of a members-only community"


def managers_group_name(*, name: str, slug: str) -> str:
    return f"Community managers: {name} ({slug})"[:150]


def managers_group_ensure(apps: Any, community: Any) -> Any:
    """The community's managers' group with its rights, created if missing (idempotent);
    the community is saved with it. Its active managers are not added here: the caller
    decides who (services.manager_rights_sync, the data migration)."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    page_permission_model = apps.get_model("wagtailcore", "GroupPagePermission")
    collection_permission_model = apps.get_model("wagtailcore", "GroupCollectionPermission")

    def permission(app_label: str, codename: str) -> Any:
        return permission_model.objects.get(content_type__app_label=app_label, codename=codename)

    group = community.managers
    if group is None:
        group, _created = group_model.objects.get_or_create(
            name=managers_group_name(name=community.name, slug=community.slug)
        )
        community.managers = group
        community.save(update_fields=["managers"])
    group.permissions.add(*(permission(*name) for name in MANAGER_PERMISSIONS))
    if community.blog_id is not None:
        for codename in MANAGER_PAGE_PERMISSIONS:
            page_permission_model.objects.get_or_create(
                group=group,
                page_id=community.blog_id,
                permission=permission("wagtailcore", codename),
            )
    if community.collection_id is not None:
        for name in MANAGER_COLLECTION_PERMISSIONS:
            collection_permission_model.objects.get_or_create(
                group=group, collection_id=community.collection_id, permission=permission(*name)
            )
    return group


def community_author_ensure(apps: Any) -> Any:
    """The one profile community entries are credited to (see the module's docstring)."""
    blogger_model = apps.get_model("blogs", "Blogger")
    blogger, _created = blogger_model.objects.get_or_create(
        slug=COMMUNITY_AUTHOR_SLUG,
        defaults={"display_name": COMMUNITY_AUTHOR_NAME, "job_title": COMMUNITY_AUTHOR_JOB_TITLE},
    )
    return blogger
