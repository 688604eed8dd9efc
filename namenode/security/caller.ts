/** Who is calling: resolved once per call by the front door. */
export interface Caller {
  readonly user: string;
  readonly groups: readonly string[];
  readonly isSuperuser: boolean;
}

/** The superuser is the user running the namenode, and any member of the supergroup. */
export interface SuperuserPolicy {
  readonly superuser: string;
  readonly supergroup: string;
}

export function makeCaller(user: string, groups: readonly string[], policy: SuperuserPolicy): Caller {
  return { user, groups, isSuperuser: user === policy.superuser || groups.includes(policy.supergroup) };
}
