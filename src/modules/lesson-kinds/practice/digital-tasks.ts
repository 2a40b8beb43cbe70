/**
 * The real-life digital tasks the programme teaches by doing: what an ambassador helps a
 * household with ("1 kèm 5", certification's mentoring records) and what a practice lesson asks a
 * learner to do for real. One vocabulary, here at the bottom so both can use it.
 */
export const DIGITAL_TASKS = [
  'vneid-level-2',
  'online-bill-payment',
  'cashless-payment',
  'public-service-online',
  'online-selling',
  'scam-awareness',
  'smartphone-basics',
  'other',
] as const;
export type DigitalTask = (typeof DIGITAL_TASKS)[number];
