"""Reads about people, roles and places, one module per subject; every name is importable from
`synergy.core.selectors`, as the apps do."""

from synergy.core.selectors.access import (  # noqa: F401
    communities_of_user,
    get_or_404,
    require_village_coordinator,
    user_can_view_analytics,
    user_coordinates_village,
    user_has_role,
    user_is_platform_admin,
    user_is_resident_of,
    user_manages_community,
    user_roles,
    user_roles_in_community,
    villages_of_user,
)
from synergy.core.selectors.memberships import (  # noqa: F401
    communities_managed_by,
    invitation_by_code,
    invitation_list_for,
    membership_applications_for,
    membership_counts,
    membership_deciders,
    membership_get,
    membership_list,
    pending_application_count,
    pending_applications_decidable,
    user_may_decide_membership,
    user_may_decide_memberships,
)
from synergy.core.selectors.notifications import (  # noqa: F401
    notification_list,
    notification_unread_count,
)
from synergy.core.selectors.places import (  # noqa: F401
    DECIDER_ROLES,
    community_list,
    coordinated_villages,
    distance_km,
    distances_km,
    event_organiser_pairings,
    paired_communities,
    paired_villages,
    pairing_exists,
    pairing_first_year_by_city,
    pairing_list,
    pairing_of_user_and_village,
    user_may_organise_event,
    village_coordinators,
    village_list,
)
