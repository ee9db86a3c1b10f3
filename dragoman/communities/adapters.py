"""How django-allauth behaves here: nobody signs up; people join by invitation or request."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are made when an invitation is used or a request approved.
        return False
