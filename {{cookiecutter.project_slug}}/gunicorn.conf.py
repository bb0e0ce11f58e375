# gunicorn reads this file when started from the project folder (`gunicorn {{ cookiecutter.package_name }}.main:app`);
# the settings live in the package so `python -m {{ cookiecutter.package_name }}` and the container use the same ones.
from {{ cookiecutter.package_name }}.gunicorn_conf import *  # noqa: F403
