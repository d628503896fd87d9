"""A request's context, resolved in one place: environment, variables, auth, settings.

Entry points: `resolve.resolve_context` (a workspace + collection → `SendContext`),
`target.open_target` (a path a user typed → the request/collection/workspace around it),
`selection` (which environment each collection uses: user state, not a diff in git).
Every button and sub-command that talks to a server goes through here.
"""
