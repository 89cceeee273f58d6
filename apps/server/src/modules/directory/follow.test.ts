import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPerson, createTeam, personOf, SYSTEM } from '../../../test/factories/directory';
import { createUser } from '../../../test/factories/identity';
import { auditTrail, createTestRuntime, moduleServices, type WithServices } from '../../../test/helpers';
import type { TPerson } from '.';

// The services alone, as the CLI and jobs build them: no HTTP app.
let t: WithServices;
beforeAll(async () => {
  t = { runtime: await createTestRuntime() };
});
afterAll(() => t.runtime.close());

const admin = { userId: null, label: 'test' };
const directory = () => moduleServices(t, 'directory').directory;

describe('the directory follows accounts through the event bus', () => {
  it('a new account gets its person; a rename or a new zone reaches it, audited', async () => {
    const user = await createUser(t, { displayName: 'Ana Lima', timeZone: 'Europe/Lisbon' });
    expect(await personOf(t, user)).toMatchObject({ name: 'Ana Lima', timeZone: 'Europe/Lisbon' });

    const identity = moduleServices(t, 'identity').identity;
    await identity.updateUser(
      user.id,
      { displayName: 'Ana Lima Costa', timeZone: 'America/Sao_Paulo' },
      admin,
    );
    const person = await personOf(t, user);
    expect(person).toMatchObject({ name: 'Ana Lima Costa', timeZone: 'America/Sao_Paulo' });
    const [change] = await auditTrail(t, person.id, 'person.updated');
    expect(change).toMatchObject({
      actorLabel: 'system: account changed',
      before: expect.objectContaining({ name: 'Ana Lima' }),
      after: expect.objectContaining({ name: 'Ana Lima Costa' }),
    });

    // A role change is no business of the person: nothing is written.
    await identity.updateUser(user.id, { role: 'manager' }, admin);
    expect(await auditTrail(t, person.id, 'person.updated')).toHaveLength(1);
  });

  it('archiving a person tells its followers inside the archive transaction', async () => {
    const person = await createPerson(t);
    const seen: TPerson[] = [];
    t.runtime.ctx.events.on('directory.person.archived', ({ person: p }) => {
      seen.push(p);
      if (p.name === 'Refused Person') throw new Error('a follower refused');
    });
    await directory().archivePerson(SYSTEM, admin, person.id);
    expect(seen.map((p) => [p.id, p.active])).toEqual([[person.id, false]]);

    // A follower that fails rolls the archive back with it.
    const refused = await createPerson(t, { name: 'Refused Person' });
    await expect(directory().archivePerson(SYSTEM, admin, refused.id)).rejects.toThrow('a follower refused');
    expect(await directory().getPerson(refused.id)).toMatchObject({ active: true });
    // Archiving again is a no-op, not a second event.
    await directory().archivePerson(SYSTEM, admin, person.id);
    expect(seen.filter((p) => p.id === person.id)).toHaveLength(1);
  });
});

describe('who a manager manages', () => {
  it('leaves out archived people and the members of archived teams', async () => {
    const boss = await createUser(t, { role: 'manager' });
    const bossPerson = await personOf(t, boss);
    const direct = await createPerson(t, { managerId: bossPerson.id });
    const member = await createPerson(t);
    const team = await createTeam(t, { managerIds: [bossPerson.id], memberIds: [member.id] });
    expect((await directory().managedPersonIds(boss.id)).sort()).toEqual([direct.id, member.id].sort());
    expect(await directory().managedTeamIds(boss.id)).toEqual([team.id]);

    await directory().archivePerson(SYSTEM, admin, direct.id);
    await directory().archiveTeam(SYSTEM, admin, team.id);
    expect(await directory().managedPersonIds(boss.id)).toEqual([]);
    expect(await directory().managedTeamIds(boss.id)).toEqual([]);
    expect(await directory().isManagerOf(boss.id, member.id)).toBe(false);
  });
});
