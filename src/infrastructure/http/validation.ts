import { ValidationPipe } from '@nestjs/common';

/** Global validation: unknown properties are refused (so nobody can smuggle in `roles`). */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
  });
}
