import {
  type GraphQLScalarType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/schema/index.js';

/** What client generators read from the schema besides its shapes: scalar specifications and descriptions. */

const customScalars = Object.values(schema.getTypeMap()).filter(
  (type): type is GraphQLScalarType => isScalarType(type) && !isSpecifiedScalarType(type),
);

/** Every public type, field, argument, enum value and input field without a description, by its schema coordinate. */
function undescribed(): string[] {
  const missing: string[] = [];
  const check = (coordinate: string, description: string | null | undefined) => {
    if (!description?.trim()) missing.push(coordinate);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || (isScalarType(type) && isSpecifiedScalarType(type))) continue;
    check(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.description);
        for (const arg of field.args) check(`${type.name}.${field.name}(${arg.name}:)`, arg.description);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) check(`${type.name}.${field.name}`, field.description);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.description);
    }
  }
  return missing;
}

describe('the schema as client generators read it', () => {
  it('describes every type, field, argument, enum value and input field', () => {
    expect(undescribed()).toEqual([]);
  });

  it('names the specification of every custom scalar and its wire format', () => {
    expect(customScalars.map((scalar) => scalar.name).sort()).toEqual(['Date', 'DateTime', 'JSON']);
    const specs = Object.fromEntries(customScalars.map((scalar) => [scalar.name, scalar.specifiedByURL]));
    expect(specs).toEqual({
      Date: 'https://www.rfc-editor.org/rfc/rfc3339#section-5.6',
      DateTime: 'https://www.rfc-editor.org/rfc/rfc3339#section-5.6',
      JSON: 'https://ecma-international.org/publications-and-standards/standards/ecma-404/',
    });
    const described = Object.fromEntries(customScalars.map((scalar) => [scalar.name, scalar.description]));
    expect(described.Date).toContain('RFC 3339 full-date');
    expect(described.DateTime).toContain('RFC 3339 date-time');
    expect(described.JSON).toContain('ECMA-404');
  });

  it('writes dates and instants in the formats their specifications give', () => {
    const date = schema.getType('Date');
    const dateTime = schema.getType('DateTime');
    if (!isScalarType(date) || !isScalarType(dateTime)) throw new Error('Date and DateTime are scalars');
    const instant = new Date('2026-12-04T03:40:41Z');
    expect(date.serialize(instant)).toBe('2026-12-04');
    expect(dateTime.serialize(instant)).toBe('2026-12-04T03:40:41.000Z');
    expect(dateTime.parseValue('2026-12-04T04:40:41.5+01:00')).toEqual(new Date('2026-12-04T03:40:41.500Z'));
    expect(() => dateTime.parseValue('Dec 4, 2026')).toThrow('RFC 3339');
    expect(() => date.parseValue('2026-02-30')).toThrow('YYYY-MM-DD');
  });
});
