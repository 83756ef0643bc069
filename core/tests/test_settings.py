"""The secret key: required to serve requests, not to run a management command. The cache: from CACHE_URL."""

import os
import subprocess
import sys

from django.conf import settings


def run(args: list[str], tmp_path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DJANGO_SETTINGS_MODULE")}
    env |= {"DEBUG": "0", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    return subprocess.run(
        [sys.executable, *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False
    )


def test_serving_without_a_secret_key_is_refused(tmp_path):
    code = "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'rollout_portal.settings'; import rollout_portal.wsgi"
    result = run(["-c", code], tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_a_management_command_runs_without_the_secret_key(tmp_path):
    result = run(["manage.py", "makemigrations", "--check", "--dry-run"], tmp_path)
    assert result.returncode == 0, result.stderr


CACHE_BACKEND = (
    "import os; os.environ |= {'DJANGO_SETTINGS_MODULE': 'rollout_portal.settings', 'SECRET_KEY': 'test-only'}; "
    "from django.conf import settings; "
    "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default'].get('LOCATION', ''))"
)


def test_every_process_shares_the_redis_cache_that_cache_url_names(tmp_path, monkeypatch):
    monkeypatch.setenv("CACHE_URL", "redis://127.0.0.1:6379/2")
    result = run(["-c", CACHE_BACKEND], tmp_path)
    assert result.stdout.split() == ["django.core.cache.backends.redis.RedisCache", "redis://127.0.0.1:6379/2"]


def test_without_cache_url_each_process_keeps_its_own_memory_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("CACHE_URL", raising=False)
    result = run(["-c", CACHE_BACKEND], tmp_path)
    assert result.stdout.split()[0] == "django.core.cache.backends.locmem.LocMemCache"


def test_check_deploy_is_clean_with_the_production_defaults(tmp_path):
    """The README's promise, with and without a proxy in front: the hardening headers add no warning."""
    for proxy in ("0", "1"):
        env_args = [
            "-c",
            "import os, sys; from django.core.management import execute_from_command_line; "
            f"os.environ.update(SECRET_KEY='x' * 60 + 'Yz9!', ALLOWED_HOSTS='emr.example.vn', "
            f"BEHIND_PROXY='{proxy}', SECURE_SSL_REDIRECT='1', SECURE_COOKIES='1', "
            "SECURE_HSTS_SECONDS='31536000', DJANGO_SETTINGS_MODULE='rollout_portal.settings'); "
            "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        ]
        result = run(env_args, tmp_path)
        assert result.returncode == 0, result.stderr
