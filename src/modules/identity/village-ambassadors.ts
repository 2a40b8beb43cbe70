/**
 * The villages where a user is a certified ambassador ("Người bản số"): the people a village can
 * turn to in person. Certification knows (certificates); identity and learning ask through this
 * port, so imports still point down. The certification module provides it to the whole
 * application (VillageAmbassadorsModule); where it is absent (a worker), nobody counts as one.
 */
export abstract class VillageAmbassadors {
  /** The villages of the user's valid certificates (issued, not revoked, superseded or expired). */
  abstract villagesOf(userId: string): Promise<string[]>;
}
