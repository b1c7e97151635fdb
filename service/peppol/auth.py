"""Who may: the city's access point hands documents over; a supplier records its own Peppol
participant ids, an administrator any supplier's."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from service.auth.principal import Principal
from service.authz import Allowed
from storage.models import Role

ACCESS_POINT = Allowed(Role.ACCESS_POINT, refusal="refusal.peppol_hand_over")
OWN_PARTICIPANTS = Allowed(Role.SUPPLIER, refusal="refusal.peppol_own_participants")
ANY_PARTICIPANTS = Allowed(Role.ADMIN, refusal="refusal.peppol_any_participants")

AccessPointCaller = Annotated[Principal, Depends(ACCESS_POINT.api)]
SupplierCaller = Annotated[Principal, Depends(OWN_PARTICIPANTS.api)]
AdminCaller = Annotated[Principal, Depends(ANY_PARTICIPANTS.api)]
