import {
  addonPayload,
  ADDON_SKIPPED_FIELDS,
  PayloadSource,
  RecordLookups,
  X2MANY_LIMIT,
  X2MANY_TYPES,
} from './addon-payload';
import { OdooRecordNames } from './odoo-record-names';

/** Without Odoo's database: the add-on's shape from the record's own values only. */
export const NO_LOOKUPS: RecordLookups = {
  displayName: () => undefined,
  related: () => undefined,
};

/**
 * Builds the add-on's payloads for a batch of records of one model in a few queries on the Odoo
 * database: its field metadata, the x2many ids, and every display name they need.
 */
export class AddonPayloads {
  constructor(private readonly odoo: OdooRecordNames) {}

  async build(model: string, sources: PayloadSource[]): Promise<Array<Record<string, unknown>>> {
    const fields = await this.odoo.fieldsOf(model);
    const ids = [...new Set(sources.map((s) => s.recordId))];
    const wanted = new Map<string, number[]>();
    const want = (target: string | null, id: unknown) => {
      if (!target || typeof id !== 'number') return;
      if (!wanted.has(target)) wanted.set(target, []);
      wanted.get(target)?.push(id);
    };
    const x2many = [...fields.values()].filter(
      (f) => !ADDON_SKIPPED_FIELDS.has(f.name) && X2MANY_TYPES.has(f.ttype),
    );
    const related = await this.odoo.relatedOf(model, x2many, ids, X2MANY_LIMIT);
    for (const field of x2many) {
      for (const list of related.get(field.name)?.values() ?? []) {
        list.forEach((id) => want(field.relation, id));
      }
    }
    for (const field of fields.values()) {
      if (ADDON_SKIPPED_FIELDS.has(field.name) || field.ttype !== 'many2one') continue;
      for (const source of sources) want(field.relation, source.values[field.name]);
    }
    for (const [target, targetIds] of wanted) await this.odoo.namesOf(target, targetIds);
    // The changed records' own names as they are now (a write may have renamed them).
    await this.odoo.namesOf(model, ids, true);
    const lookups: RecordLookups = {
      displayName: (target, id) => this.odoo.nameOf(target, id),
      related: (field, recordId) => related.get(field)?.get(recordId),
    };
    return sources.map((source) => addonPayload(source, fields, lookups));
  }
}
