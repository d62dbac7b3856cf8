import { BadRequestException } from '@nestjs/common';
import {
  DomainSyntaxError,
  parseDomain,
  sampleInput,
  TemplateError,
  TemplateRenderer,
} from '@odoo-stream/webhooks';

/**
 * What a webhook subscription and a Telegram notification rule have in common and are checked
 * for when saved: an Odoo domain that parses, and a template that renders on a sample record
 * (to JSON for webhook bodies, to text for chat messages). A 400 says which and where.
 */
export function checkRuleDefinition(
  templates: TemplateRenderer,
  rule: { model: string; filter_domain?: string | null; template?: string | null },
  output: 'json' | 'text',
): void {
  if (rule.filter_domain) {
    try {
      parseDomain(rule.filter_domain);
    } catch (error) {
      if (error instanceof DomainSyntaxError) {
        throw new BadRequestException(`filter_domain: ${error.message}`);
      }
      throw error;
    }
  }
  if (rule.template) {
    try {
      if (output === 'json') templates.render(rule.template, sampleInput(rule.model));
      else templates.renderText(rule.template, sampleInput(rule.model));
    } catch (error) {
      if (error instanceof TemplateError)
        throw new BadRequestException(`template: ${error.message}`);
      throw error;
    }
  }
}
