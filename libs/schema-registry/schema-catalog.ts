import { CompatibilityLevel, RegisteredSchema, SubjectConfig } from './schema-registry';

/** The registry's state, rebuilt from its log: subjects, their versions, and schemas by id. */
export class SchemaCatalog {
  private readonly bySubject = new Map<string, RegisteredSchema[]>();
  private readonly byId = new Map<number, string>();
  private readonly configs = new Map<string, CompatibilityLevel>();

  /** Subject settings share the log with registrations. */
  applyConfig(entry: SubjectConfig): void {
    this.configs.set(entry.config, entry.compatibilityLevel);
  }

  compatibility(subject: string): CompatibilityLevel | undefined {
    return this.configs.get(subject);
  }

  apply(entry: RegisteredSchema): void {
    const versions = this.bySubject.get(entry.subject) ?? [];
    if (!versions.some((v) => v.version === entry.version)) {
      versions.push(entry);
      versions.sort((a, b) => a.version - b.version);
      this.bySubject.set(entry.subject, versions);
    }
    this.byId.set(entry.id, entry.schema);
  }

  schemaById(id: number): string | undefined {
    return this.byId.get(id);
  }

  subjects(): string[] {
    return [...this.bySubject.keys()].sort();
  }

  versions(subject: string): RegisteredSchema[] | undefined {
    return this.bySubject.get(subject);
  }

  version(subject: string, version: number | 'latest'): RegisteredSchema | undefined {
    const versions = this.bySubject.get(subject);
    if (!versions) return undefined;
    return version === 'latest'
      ? versions[versions.length - 1]
      : versions.find((v) => v.version === version);
  }

  /** The registration of exactly this (canonical) schema under the subject, if any. */
  find(subject: string, canonical: string): RegisteredSchema | undefined {
    return this.bySubject.get(subject)?.find((v) => v.schema === canonical);
  }

  /** What registering would add: the next version under the subject. */
  next(subject: string, id: number, canonical: string): RegisteredSchema {
    const known = this.byId.get(id);
    if (known !== undefined && known !== canonical) {
      throw new Error(`schema id ${id} is already taken by another schema`);
    }
    const latest = this.version(subject, 'latest');
    return { subject, version: (latest?.version ?? 0) + 1, id, schema: canonical };
  }
}
