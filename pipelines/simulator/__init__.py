"""A local look-alike of the Scoro API v2, backed by a deterministic synthetic agency.

sim = Simulator(scale=1, seed=42, tenants={"demo-agency": "demo-api-key"},
                as_of=date(2026, 6, 30), shapes=Shapes.plain()).start(port=0)
requests.post(f"{sim.url}/api/v2/invoices/list", json={"apiKey": ..., ...})
sim.company("demo-agency").mutate(changed=5, added=3, deleted=2)
sim.company("demo-agency").truth()   # what a correct mirror holds
sim.stop()
"""

from pipelines.simulator.company import Company
from pipelines.simulator.control import Faults, RateLimiter, Stats
from pipelines.simulator.server import Simulator
from pipelines.simulator.shapes import Shapes

__all__ = ["Company", "Faults", "RateLimiter", "Shapes", "Simulator", "Stats"]
