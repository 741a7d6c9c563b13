"""Sessions read from Redis and kept in PostgreSQL, that survive a Redis outage.

Django's cached_db store reads a session from the cache and falls back to the
database. Two documented extension points make it outlast a Redis that is down or
restarting, where out of the box every signed-in request would fail with 500:

* `SessionCache` (CACHES["sessions"]["BACKEND"]): Django's RedisCache whose reads and
  writes treat an unreachable Redis as a miss — the session comes from PostgreSQL and
  is not cached, with a warning for the operators. Deleting is not guarded;
* `SessionStore` (SESSION_ENGINE): deleting a session (signing out, and another
  user's session replaced at login) removes the cached copy first and stops if that
  fails, before the database row goes; otherwise the copy would sign the old cookie
  in again once Redis is back. Signing out therefore fails while Redis is
  unreachable, and works once it is back. Signing in replaces an anonymous session's
  key (`cycle_key`): that copy signs nobody in, so losing it is only logged.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("yishi.sessions")

# What an unreachable, restarting or hung Redis raises (connection refused or reset,
# timeouts).
CACHE_DOWN = (RedisError, OSError)


class SessionCache(RedisCache):
    """Reads and writes that fail because Redis is down count as a miss.

    (The async methods of Django's cache call these through sync_to_async.)
    """

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except CACHE_DOWN:
            logger.warning("session cache unreachable: reading from the database")
            return default

    def set(self, key, value, timeout=None, version=None):
        try:
            super().set(key, value, timeout, version)
        except CACHE_DOWN:
            logger.warning("session cache unreachable: session not cached")

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except CACHE_DOWN:
            logger.warning("session cache unreachable: checking the database")
            return False


class SessionStore(cached_db.SessionStore):
    tolerate_cache_down_on_delete = False

    @staticmethod
    def sessions_cache():
        return caches[settings.SESSION_CACHE_ALIAS]

    def _forget_cached(self, session_key: str) -> None:
        try:
            self.sessions_cache().delete(self.cache_key_prefix + session_key)
        except CACHE_DOWN:
            if not self.tolerate_cache_down_on_delete:
                raise
            logger.warning("session cache unreachable: old anonymous copy kept")

    def delete(self, session_key=None):
        session_key = session_key or self.session_key
        if session_key is None:
            return
        # The cached copy first: if it cannot go, the session must stay as it was.
        self._forget_cached(session_key)
        if self.tolerate_cache_down_on_delete:
            self.model.objects.filter(session_key=session_key).delete()
        else:
            super().delete(session_key)

    async def adelete(self, session_key=None):
        session_key = session_key or self.session_key
        if session_key is None:
            return
        self._forget_cached(session_key)
        await self.model.objects.filter(session_key=session_key).adelete()

    def cycle_key(self):
        self.tolerate_cache_down_on_delete = True
        try:
            super().cycle_key()
        finally:
            self.tolerate_cache_down_on_delete = False

    async def acycle_key(self):
        self.tolerate_cache_down_on_delete = True
        try:
            await super().acycle_key()
        finally:
            self.tolerate_cache_down_on_delete = False
