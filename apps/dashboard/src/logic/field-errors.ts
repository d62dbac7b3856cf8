/**
 * The API's validation message (`a must be ...; b: ...`) split by field, so that a form shows
 * each part next to its field; parts that name no field of the form stay with the form.
 */
export function fieldErrors(message: string, fields: string[]): Record<string, string[]> {
  const byField: Record<string, string[]> = {};
  // Longest names first: `api_key_header` before `api_key`.
  const names = [...fields].sort((a, b) => b.length - a.length);
  for (const part of message
    .split('; ')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const field =
      names.find((name) => new RegExp(`^(?:[a-z_]+\\.)*${name}(?:[\\s:.\\[]|$)`).test(part)) ??
      '_form';
    (byField[field] ??= []).push(part);
  }
  return byField;
}
