"""Who may: the city's access point hands documents over; a supplier records its own Peppol
participant ids, an administrator any supplier's."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from service.auth.principal import Principal
from service.authz import Allowed
from storage.models import Role

ACCESS_POINT = Allowed(
    Role.ACCESS_POINT, refusal="only an access point (juryo peppol add-access-point) hands over"
)
OWN_PARTICIPANTS = Allowed(
    Role.SUPPLIER, refusal="only the role 'supplier' records its own participant ids"
)
ANY_PARTICIPANTS = Allowed(Role.ADMIN, refusal="only the role 'admin' records a supplier's ids")

AccessPointCaller = Annotated[Principal, Depends(ACCESS_POINT.api)]
SupplierCaller = Annotated[Principal, Depends(OWN_PARTICIPANTS.api)]
AdminCaller = Annotated[Principal, Depends(ANY_PARTICIPANTS.api)]
