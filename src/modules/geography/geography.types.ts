/** The geography vocabulary other modules use. */
export { LOCALITY_KINDS, LOCALITY_LEVELS, type LocalityLevel } from './entities/locality.entity.js';
