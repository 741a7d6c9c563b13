"""The register: places, property units, households, people, bodies, voter rolls."""
