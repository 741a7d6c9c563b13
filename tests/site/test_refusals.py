"""Which refusals bring a form back with its input (yishi.refusals)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from yishi.refusals import shows_form_again, typed_of


@pytest.mark.parametrize("status", [400, 413, 415, 422])
def test_a_refusal_of_what_was_sent_shows_the_form_again(status):
    assert shows_form_again(status)


@pytest.mark.parametrize("status", [401, 403, 404, 409, 410, 429, 500])
def test_a_refusal_of_the_person_or_the_moment_does_not(status):
    assert not shows_form_again(status)


def test_what_is_echoed_is_cut_at_the_limit():
    request = RequestFactory().post("/", {"text": "议" * 30, "title": "短", "n": ""})
    assert typed_of(request, 10) == {"text": "议" * 10, "title": "短", "n": ""}
