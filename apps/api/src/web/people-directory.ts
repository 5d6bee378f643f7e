import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { UserEntity } from '@dieu-hanh/persistence';

/** Who acted, as pages name them: "Nguyễn Văn A, Phó Chánh Văn phòng" (name and position). */
export interface PersonRef {
  userId: string;
  name: string;
  unit: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Names and positions of the people a page mentions, read once per page from `users` (the
 * workflow history keeps the name it was given; the position is today's, from the account).
 */
@Injectable()
export class PeopleDirectory {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** A naming function for `people`: name and position, or name and unit when the account has no position. */
  async namer(people: (PersonRef | undefined)[], unitName: (code: string) => string = (c) => c): Promise<(p: PersonRef | undefined) => string> {
    const ids = [...new Set(people.flatMap((p) => (p && UUID.test(p.userId) ? [p.userId] : [])))];
    const rows = ids.length ? await this.db.getRepository(UserEntity).find({ select: { id: true, position: true }, where: { id: In(ids) } }) : [];
    const positions = new Map(rows.map((r) => [r.id, r.position]));
    return (p) => {
      if (!p) return '';
      const position = positions.get(p.userId);
      return position ? `${p.name}, ${position}` : `${p.name} (${unitName(p.unit)})`;
    };
  }

  /**
   * Who holds a role in a unit, for "waited on": the active accounts of `units`, named by
   * name and position; a naming function of (unit, role) giving '' when nobody is known.
   */
  async holders(units: Iterable<string>): Promise<(unit: string, role?: string) => string> {
    const codes = [...new Set(units)];
    const rows = codes.length
      ? await this.db.getRepository(UserEntity).find({ select: { displayName: true, position: true, unitCode: true, roles: true }, where: { unitCode: In(codes), active: true }, order: { displayName: 'ASC' } })
      : [];
    return (unit, role) =>
      rows
        .filter((r) => r.unitCode === unit && (role === undefined || (r.roles as string[]).includes(role)))
        .map((r) => (r.position ? `${r.displayName}, ${r.position}` : r.displayName))
        .join('; ');
  }
}
