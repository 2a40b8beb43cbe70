import {
  applyDecorators,
  Controller,
  createParamDecorator,
  Inject,
  Injectable,
  Res,
  SetMetadata,
  UseFilters,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PortalExceptionFilter } from './portal-exception.filter.js';
import { PortalView, type PortalArea, type PortalPage } from './portal-view.js';

const AREA = Symbol('portal area');
const PAGE = Symbol('portal page');

type WithPage = FastifyRequest & { [PAGE]?: PortalPage };

/** Builds the page (who is reading, in which language…) before the handler runs. */
@Injectable()
export class PortalPageInterceptor implements NestInterceptor {
  constructor(
    @Inject(PortalView) private readonly view: PortalView,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler) {
    const http = context.switchToHttp();
    const req = http.getRequest<WithPage>();
    const area = this.reflector.get<PortalArea>(AREA, context.getClass()) ?? 'shell';
    req[PAGE] = await this.view.page(req, http.getResponse<FastifyReply>(), area);
    return next.handle();
  }
}

/**
 * A controller of portal pages in one area of the portal (`teach`: the trainer's pages…): out of
 * the OpenAPI document, each handler gets its page with `@Page()`, and a domain refusal becomes a
 * page (PortalExceptionFilter) instead of a try/catch in the handler.
 */
export const PortalPages = (area: PortalArea, path?: string) =>
  applyDecorators(
    ApiExcludeController(),
    Controller(path ?? ''),
    SetMetadata(AREA, area),
    UseInterceptors(PortalPageInterceptor),
    UseFilters(PortalExceptionFilter),
  );

const pageOf = createParamDecorator((_: unknown, context: ExecutionContext) =>
  // A promise: Nest settles it after the plain response value below, so the page wins.
  Promise.resolve(context.switchToHttp().getRequest<WithPage>()[PAGE]),
);

/**
 * The handler's page: its context (user, languages, `t`) and how it answers (`render`,
 * `redirect`). The handler answers through it, like with `@Res()`: Nest sends nothing after it.
 */
export const Page = (): ParameterDecorator => (target, key, index) => {
  // The reply is marked handled by the handler (what @Res() does)…
  Res()(target, key, index);
  // …and the argument itself is the page.
  pageOf()(target, key, index);
};

export const pageOfRequest = (req: FastifyRequest): PortalPage | undefined => (req as WithPage)[PAGE];
