"""The Yishi Django project and Wagtail site (installed under the import name `yishi`)."""
