"""The Yishi Django project and Wagtail site (imported as `yishi`)."""
