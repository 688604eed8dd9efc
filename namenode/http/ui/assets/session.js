// The signed-in user.name (SIMPLE authentication: the name is the identity), kept across visits.
const KEY = 'nnfleet.user.name';
const ANONYMOUS = 'dr.who';

export function currentUser() {
  return localStorage.getItem(KEY) || ANONYMOUS;
}

export function signIn(name) {
  const trimmed = name.trim();
  if (trimmed === '') localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, trimmed);
}
