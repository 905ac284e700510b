// `create`: validate into a MediaPlan, then build the media.

import { CaptureMediaError } from '../../errors.js';
import { createMediaPlan } from '../../plan/media-plan.js';
import type { CreateParameters } from '../../plan/parameters.js';
import type { JobContext } from '../context.js';

export async function runCreate(params: CreateParameters, context: JobContext): Promise<void> {
  const plan = await createMediaPlan(params);
  context.reporter.log('verbose', `Plan: ${plan.mediaType} to ${plan.targets.join(', ')}, label "${plan.label.text}"`);
  throw new CaptureMediaError('NotImplemented', `Building ${plan.mediaType} media is not implemented yet; the parameters are valid.`);
}
