"""The roles of the network as Wagtail groups, and what each may do.

Written against an app registry argument so that the data migration (historical models) and
the code (real models) share one definition.
"""

from __future__ import annotations

from typing import Any

DIGITAL_TEAM = "Digital team"
BLOGGERS = "Bloggers"
MODERATORS = "Moderators"

# Page permissions the digital team holds over the whole tree.
DIGITAL_TEAM_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
]
# Page permissions a blogger holds on each blog they were granted (its subtree).
BLOG_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]

# What the digital team does every day: grant permission to blog (and read the audit), judge
# and answer comments network-wide, read the answering report, close conversations (the
# pre-election freeze) and set each blog's moderation, keep the missions and the channel
# register. Administering users, groups and sites stays with the superusers.
DIGITAL_TEAM_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("authoring", "manage_bloggers"),
    ("blogs", "add_blogger"),
    ("blogs", "change_blogger"),
    ("blogs", "delete_blogger"),
    ("blogs", "view_blogger"),
    ("conversations", "moderate_comment"),
    ("conversations", "change_networkconversationsettings"),
    ("conversations", "add_blogconversationsettings"),
    ("conversations", "change_blogconversationsettings"),
    ("conversations", "delete_blogconversationsettings"),
    ("conversations", "view_blogconversationsettings"),
    ("missions", "add_mission"),
    ("missions", "change_mission"),
    ("missions", "delete_mission"),
    ("missions", "view_mission"),
    ("channels", "add_channel"),
    ("channels", "change_channel"),
    ("channels", "delete_channel"),
    ("channels", "view_channel"),
    ("campaigns", "moderate_message"),
]
# Bloggers write on their own blogs (per-blog groups) and answer comments there: that right
# follows from being credited on the blog, not from a permission (conversations.services).
BLOGGER_PERMISSIONS = [("wagtailadmin", "access_admin")]
# Moderators judge and answer comments on every blog, judge campaign messages, and read the answering report, which
# measures their own work; nothing else.
MODERATOR_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("conversations", "moderate_comment"),
    ("campaigns", "moderate_message"),
]

DIGITAL_TEAM_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "delete_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]
# Bloggers upload images and choose among all of them; they edit only their own uploads.
BLOGGER_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
]


def roles_ensure(apps: Any) -> None:
    """Create or update the Digital team, Bloggers and Moderators groups.

    Idempotent. Moderators may be created by the conversations app too, hence get_or_create
    by name; Wagtail's own migration gives a "Moderators" group page and image permissions
    over the whole site, which our moderators (comments only) must not have.
    """
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    page_model = apps.get_model("wagtailcore", "Page")
    page_permission_model = apps.get_model("wagtailcore", "GroupPagePermission")
    collection_model = apps.get_model("wagtailcore", "Collection")
    collection_permission_model = apps.get_model("wagtailcore", "GroupCollectionPermission")
    task_model = apps.get_model("wagtailcore", "GroupApprovalTask")

    content_type_model = apps.get_model("contenttypes", "ContentType")

    def permission(app_label: str, codename: str) -> Any:
        return permission_model.objects.get(content_type__app_label=app_label, codename=codename)

    def permissions(names: list[tuple[str, str]]) -> list[Any]:
        found = []
        for app_label, codename in names:
            try:
                found.append(permission(app_label, codename))
            except permission_model.DoesNotExist:
                # An early migration runs before some apps have tables; a later one
                # (authoring 0003) grants their permissions. A typo still fails loudly.
                if content_type_model.objects.filter(app_label=app_label).exists():
                    raise
        return found

    root_page = page_model.objects.filter(depth=1).first()
    root_collection = collection_model.objects.filter(depth=1).first()

    digital_team, _ = group_model.objects.get_or_create(name=DIGITAL_TEAM)
    bloggers, _ = group_model.objects.get_or_create(name=BLOGGERS)
    moderators, _ = group_model.objects.get_or_create(name=MODERATORS)

    for group, names in [
        (digital_team, DIGITAL_TEAM_PERMISSIONS),
        (bloggers, BLOGGER_PERMISSIONS),
        (moderators, MODERATOR_PERMISSIONS),
    ]:
        group.permissions.add(*permissions(names))

    moderators.permissions.remove(
        *permission_model.objects.filter(
            content_type__app_label__in=["wagtailimages", "wagtaildocs"]
        )
    )
    page_permission_model.objects.filter(group=moderators).delete()
    collection_permission_model.objects.filter(group=moderators).delete()

    if root_page is not None:
        for codename in DIGITAL_TEAM_PAGE_PERMISSIONS:
            page_permission_model.objects.get_or_create(
                group=digital_team, page=root_page, permission=permission("wagtailcore", codename)
            )
    if root_collection is not None:
        for group, collection_names in [
            (digital_team, DIGITAL_TEAM_COLLECTION_PERMISSIONS),
            (bloggers, BLOGGER_COLLECTION_PERMISSIONS),
        ]:
            for name in collection_names:
                collection_permission_model.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission(*name)
                )

    # Wagtail's default workflow asks "Moderators" to approve pages; here the digital team
    # approves entries and moderators judge comments only.
    for task in task_model.objects.filter(groups=moderators):
        task.groups.remove(moderators)
        task.groups.add(digital_team)
        if task.name == "Moderators approval":
            task.name = "Digital team approval"
            task.save()
