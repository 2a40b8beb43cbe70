import { parseProgressEvent } from './event-parser.js';

const ok = {
  id: '6f1c2b1e-8a4d-4c3b-9a51-0d2f1e7c9b10',
  type: 'quiz.attempt',
  lessonId: '0b6f8e2a-3c1d-4e5f-8a9b-1c2d3e4f5a6b',
  at: '2026-11-29T08:15:00+07:00',
  locale: 'hmn',
  answers: [
    {
      questionId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
      optionIds: ['1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d'],
    },
  ],
};

const { answers, ...common } = ok;

describe('parseProgressEvent', () => {
  it('takes a well-formed event, with its own fields read by its kind', () => {
    expect(parseProgressEvent(ok)).toEqual({ ...common, payload: { answers } });
    expect(parseProgressEvent({ ...ok, at: '2026-11-29T01:15:00.250Z' })).toMatchObject({
      type: 'quiz.attempt',
    });
  });

  it('lists every problem of a malformed event', () => {
    expect(
      parseProgressEvent({
        id: 'x',
        type: 'video.ended',
        at: '2026-11-29 08:15',
        locale: 'fr',
        position: -1,
        stepId: 5,
        extra: true,
        answers: [{ questionId: 'q', optionIds: 'a', hint: 1 }, 7],
      }),
    ).toEqual({
      problems: [
        'property extra should not exist',
        'id must be a UUID',
        'type must be one of: video.heartbeat, guide.step, quiz.attempt, practice.confirmed',
        'lessonId must be a UUID',
        'at must be a date-time with its time zone (ISO 8601), e.g. 2026-11-29T08:15:00+07:00',
        'locale must be one of: vi, hmn, ium, tyz',
        'position must be a number of seconds between 0 and 86400',
        'stepId must be a UUID',
        'answers.0.property hint should not exist',
        'answers.0.questionId must be a UUID',
        'answers.0.optionIds must be a list of at most 20 UUIDs',
        'answers.1 must be an object',
      ],
    });
  });

  it('refuses what is not an object, a time without a zone, and oversized lists', () => {
    for (const raw of [null, 'x', [ok]])
      expect(parseProgressEvent(raw)).toEqual({ problems: ['an event must be an object'] });
    expect(parseProgressEvent({ ...ok, at: '2026-11-29T08:15:00' })).toHaveProperty('problems');
    expect(parseProgressEvent({ ...ok, at: '2026-13-45T08:15:00Z' })).toHaveProperty('problems');
    expect(
      parseProgressEvent({ ...common, type: 'video.heartbeat', intervals: new Array(21).fill([0, 1]) }),
    ).toEqual({ problems: ['intervals must be a list of at most 20 [from, to] pairs'] });
    // A field of another kind is unknown on this one.
    expect(parseProgressEvent({ ...ok, stepId: ok.id })).toEqual({
      problems: ['property stepId should not exist'],
    });
  });
});
