import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  HttpException,
  Inject,
  Param,
  Post,
  Put,
  UseFilters,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import { strictValidation } from '../validation/validation-pipes';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Type } from 'avsc';
import {
  canonicalSchema,
  KafkaSchemaStore,
  RegisteredSchema,
  SCHEMA_REGISTRY,
} from '@odoo-stream/schema-registry';
import { RegisterSchemaDto, UpdateCompatibilityDto } from './register-schema.dto';
import { RegistryExceptionFilter } from './registry-exception.filter';
import { RegistryAccess, RegistryAuthGuard } from './registry-auth.guard';

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
/** Listings re-read the schemas topic when older than this, to show what other processes added. */
const FRESH_MS = 1000;

/** Confluent's error body: { error_code, message } with the registry's own codes. */
function registryError(status: number, code: number, message: string): HttpException {
  return new HttpException({ error_code: code, message }, status);
}

/**
 * The part of Confluent Schema Registry's REST API that serializers and deserializers use, served
 * from odoo-stream's own store (the `<prefix>.stream.schemas` topic) when no SCHEMA_REGISTRY_URL is
 * set: any standard Confluent Avro deserializer pointed at the api decodes odoo-stream's topics.
 */
@ApiTags('schema registry')
@UseFilters(RegistryExceptionFilter)
@UseGuards(RegistryAuthGuard)
@UsePipes(strictValidation)
@Controller()
export class SchemaRegistryController {
  private refreshedAt = 0;

  constructor(@Inject(SCHEMA_REGISTRY) private readonly store: KafkaSchemaStore) {}

  @Get('schemas/ids/:id')
  @RegistryAccess('read')
  @Header('Content-Type', CONTENT_TYPE)
  @ApiOperation({ summary: 'The schema with this id' })
  async schemaById(@Param('id') id: string) {
    const n = Number(id);
    if (!/^\d+$/.test(id)) throw registryError(404, 40403, `Schema ${id} not found`);
    let schema = this.store.catalog.schemaById(n);
    if (schema === undefined) {
      await this.refresh(0);
      schema = this.store.catalog.schemaById(n);
    }
    if (schema === undefined) throw registryError(404, 40403, `Schema ${id} not found`);
    return { schema };
  }

  @Get('subjects')
  @RegistryAccess('read')
  @Header('Content-Type', CONTENT_TYPE)
  @ApiOperation({ summary: 'Every subject' })
  async subjects() {
    await this.refresh(FRESH_MS);
    return this.store.catalog.subjects();
  }

  @Get('subjects/:subject/versions')
  @RegistryAccess('read')
  @Header('Content-Type', CONTENT_TYPE)
  @ApiOperation({ summary: "A subject's versions" })
  async versions(@Param('subject') subject: string) {
    await this.refresh(FRESH_MS);
    const versions = this.store.catalog.versions(subject);
    if (!versions) throw registryError(404, 40401, `Subject '${subject}' not found.`);
    return versions.map((v) => v.version);
  }

  @Get('subjects/:subject/versions/:version')
  @RegistryAccess('read')
  @Header('Content-Type', CONTENT_TYPE)
  @ApiOperation({ summary: "One version of a subject ('latest' for the newest)" })
  async version(@Param('subject') subject: string, @Param('version') version: string) {
    if (version !== 'latest' && !/^\d+$/.test(version)) {
      throw registryError(
        422,
        42202,
        `The specified version '${version}' is not a valid version id`,
      );
    }
    await this.refresh(FRESH_MS);
    if (!this.store.catalog.versions(subject))
      throw registryError(404, 40401, `Subject '${subject}' not found.`);
    const found = this.store.catalog.version(
      subject,
      version === 'latest' ? 'latest' : Number(version),
    );
    if (!found) throw registryError(404, 40402, `Version ${version} not found.`);
    return present(found);
  }

  @Post('subjects/:subject/versions')
  @RegistryAccess('write')
  @ApiSecurity('api-key')
  @HttpCode(200)
  @Header('Content-Type', CONTENT_TYPE)
  @ApiOperation({
    summary: 'Register a schema under a subject (returns the existing id when registered)',
  })
  async register(@Param('subject') subject: string, @Body() body: RegisterSchemaDto) {
    const canonical = validAvro(body);
    await this.refresh(0);
    return { id: (await this.store.registerVersion(subject, canonical)).id };
  }

  @Post('subjects/:subject')
  @RegistryAccess('read')
  @HttpCode(200)
  @Header('Content-Type', CONTENT_TYPE)
  @ApiOperation({ summary: 'Whether a schema is registered under a subject, and as which version' })
  async lookup(@Param('subject') subject: string, @Body() body: RegisterSchemaDto) {
    const canonical = validAvro(body);
    await this.refresh(0);
    if (!this.store.catalog.versions(subject))
      throw registryError(404, 40401, `Subject '${subject}' not found.`);
    const found = this.store.catalog.find(subject, canonical);
    if (!found) throw registryError(404, 40403, 'Schema not found');
    return present(found);
  }

  @Get('config/:subject')
  @RegistryAccess('read')
  @Header('Content-Type', CONTENT_TYPE)
  @ApiOperation({ summary: "A subject's compatibility level" })
  async compatibility(@Param('subject') subject: string) {
    await this.refresh(FRESH_MS);
    const level = this.store.catalog.compatibility(subject);
    if (!level) {
      throw registryError(
        404,
        40408,
        `Subject '${subject}' does not have subject-level compatibility configured`,
      );
    }
    return { compatibilityLevel: level };
  }

  @Put('config/:subject')
  @RegistryAccess('write')
  @ApiSecurity('api-key')
  @Header('Content-Type', CONTENT_TYPE)
  @ApiOperation({
    summary: "Set a subject's compatibility level (kept and reported, not enforced)",
  })
  async setCompatibility(@Param('subject') subject: string, @Body() body: UpdateCompatibilityDto) {
    await this.store.setCompatibility(subject, body.compatibility);
    return { compatibility: body.compatibility };
  }

  private async refresh(maxAgeMs: number): Promise<void> {
    if (Date.now() - this.refreshedAt < maxAgeMs) return;
    await this.store.refresh();
    this.refreshedAt = Date.now();
  }
}

function present(entry: RegisteredSchema) {
  return { subject: entry.subject, version: entry.version, id: entry.id, schema: entry.schema };
}

function validAvro(body: RegisterSchemaDto): string {
  if (body.references?.length)
    throw registryError(422, 42201, 'Invalid schema: schema references are not supported');
  try {
    const canonical = canonicalSchema(body.schema);
    Type.forSchema(JSON.parse(canonical));
    return canonical;
  } catch (error) {
    throw registryError(422, 42201, `Invalid schema: ${(error as Error).message}`);
  }
}
