"""What the admin's history keeps of the directory (django-reversion).

A revision is what one save stored; reverting to it restores the actor as it was then, with
its topics. Applications are not registered: they hold the applicant's personal data, which
the history must not keep beyond the retention period (``purge_personal_data`` removes it
from the applications themselves).
"""

import reversion

from .models import Actor, OfferOrNeed, Sector

reversion.register(Sector)
reversion.register(Actor, follow=["tagged_items"])
# Its own history; not followed by the actor's, so that reverting an actor leaves them alone.
reversion.register(OfferOrNeed)
