// area.js: the pages for areas that open in a later release (proposals,
// surplus). They share the signed-in frame; the page's
// <body data-roles="a b"> names the roles the area will be for, and a person
// without one of them is told so plainly.

import { hasAnyRole, listRoles, showContent, startPage } from './nav.js';

async function main() {
  const user = await startPage();
  const wanted = (document.body.dataset.roles ?? '').split(/\s+/).filter(Boolean);
  const note = document.getElementById('role-note');
  if (note && wanted.length > 0 && !hasAnyRole(user, wanted)) {
    const need = listRoles(wanted).replace(/ and ([^,]+)$/, ' or $1');
    const have = user.roles.length === 0 ? 'Your account has no roles yet.'
      : `Your account has the ${listRoles(user.roles)} role${user.roles.length === 1 ? '' : 's'}.`;
    note.textContent = `This area will be open to people with the ${need} role. ${have}`;
    note.hidden = false;
  }
  showContent();
}

main().catch(() => {});
