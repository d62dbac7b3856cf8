import { fieldErrors } from './field-errors';

describe('fieldErrors', () => {
  const fields = ['name', 'endpoint_url', 'api_key', 'api_key_header', 'filter_domain'];

  it('puts each part of the message beside the field it names', () => {
    expect(
      fieldErrors(
        'name should not be empty; api_key_header must be a header name; filter_domain: unexpected token',
        fields,
      ),
    ).toEqual({
      name: ['name should not be empty'],
      api_key_header: ['api_key_header must be a header name'],
      filter_domain: ['filter_domain: unexpected token'],
    });
  });

  it('keeps what names no field for the form', () => {
    expect(fieldErrors('a subscriber with this endpoint_url exists', fields)).toEqual({
      _form: ['a subscriber with this endpoint_url exists'],
    });
    expect(fieldErrors('property nope should not exist', fields)).toEqual({
      _form: ['property nope should not exist'],
    });
  });
});
