import { Inject, Injectable } from '@nestjs/common';
import { HandlesJob, type JobHandler } from '../../../infrastructure/queue/job-handler.js';
import { JobName, type JobPayloads } from '../../../infrastructure/queue/queue.constants.js';
import { CertificateIssuanceService, type IssueOutcome } from '../certificate-issuance.service.js';

@Injectable()
@HandlesJob(JobName.issueCertificate)
export class IssueCertificateJob implements JobHandler<
  JobPayloads[typeof JobName.issueCertificate],
  IssueOutcome
> {
  constructor(@Inject(CertificateIssuanceService) private readonly issuance: CertificateIssuanceService) {}

  handle(payload: JobPayloads[typeof JobName.issueCertificate]) {
    return this.issuance.issue(payload.certificateId);
  }
}

@Injectable()
@HandlesJob(JobName.resumeCertificateIssuance)
export class ResumeCertificateIssuanceJob implements JobHandler<Record<string, never>, number> {
  constructor(@Inject(CertificateIssuanceService) private readonly issuance: CertificateIssuanceService) {}

  handle() {
    return this.issuance.resumePending();
  }
}
