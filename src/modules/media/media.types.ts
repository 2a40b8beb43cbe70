/** What other modules may know of media assets: their statuses and shape. */
export {
  MEDIA_STATUSES,
  type MediaAssetEntity as MediaAsset,
  type MediaStatus,
} from './entities/media-asset.entity.js';
