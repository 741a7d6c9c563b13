"""Sessions read from Redis and kept in PostgreSQL, that survive a Redis outage.

Django's cached_db store reads a session from the cache and falls back to the
database; but a few of its cache calls are not guarded, so while Redis is down or
restarting every signed-in request (voting included) would fail with 500. Here:

* reading: a cache error counts as a miss; the session comes from PostgreSQL and
  the failed write-back to the cache is logged, not raised;
* `exists` (used when a new session key is chosen): a cache error falls back to
  PostgreSQL;
* deleting (logout, and another user's session replaced at login) removes the
  cached copy first and stops if that fails, before the database row goes:
  otherwise the copy would sign the old cookie in again once Redis is back. Signing
  out therefore fails (500) while Redis is unreachable, and works once it is back;
* signing in replaces an anonymous session's key (Django's `cycle_key`, the only
  case where it is called at login): its cached copy, if it cannot be removed, signs
  nobody in, so signing in works while Redis is down.
"""

from __future__ import annotations

import logging

from django.contrib.sessions.backends import cached_db
from redis.exceptions import RedisError

logger = logging.getLogger("yishi.sessions")

# What an unreachable, restarting or hung Redis raises (connection refused or reset,
# timeouts): the user is not told, the session is read from PostgreSQL instead and
# a warning is logged for the operators.
CACHE_DOWN = (RedisError, OSError)


class SessionStore(cached_db.SessionStore):
    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except CACHE_DOWN:
            logger.warning("session cache unreachable: reading from the database")
            data = None
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        try:
            self._cache.set(
                self.cache_key, data, self.get_expiry_age(expiry=stored.expire_date)
            )
        except CACHE_DOWN:
            logger.warning("session cache unreachable: session not cached")
        return data

    def exists(self, session_key):
        if not session_key:
            return False
        try:
            if (self.cache_key_prefix + session_key) in self._cache:
                return True
        except CACHE_DOWN:
            logger.warning("session cache unreachable: checking the database")
        return super(cached_db.SessionStore, self).exists(session_key)

    def delete(self, session_key=None):
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        # The cached copy first: if it cannot go, the session must stay as it was.
        self._cache.delete(self.cache_key_prefix + session_key)
        super(cached_db.SessionStore, self).delete(session_key)

    def cycle_key(self):
        data = self._session
        old_key = self.session_key
        self.create()
        self._session_cache = data
        if old_key:
            try:
                self._cache.delete(self.cache_key_prefix + old_key)
            except CACHE_DOWN:
                logger.warning("session cache unreachable: old anonymous copy kept")
            super(cached_db.SessionStore, self).delete(old_key)
