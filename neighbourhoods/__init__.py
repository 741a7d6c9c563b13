"""The register: places, property units, households, people, roles, bodies and voter rolls."""
