import { ApiOkResponse } from '@nestjs/swagger';

/** Documents a JSON object answer; the shapes are built by the services' view functions. */
export const ApiJsonResponse = (description: string) =>
  ApiOkResponse({ description, schema: { type: 'object' } });
