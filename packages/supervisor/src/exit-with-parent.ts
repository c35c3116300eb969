/**
 * Preloaded (`node --import`) into every Node child of {@link startServiceProcess}, so that the child ends when its
 * parent dies without the child's own code knowing about it. Not exported from the package index: importing it is
 * the effect.
 */
import { watchParent } from './parent-watch.js';

watchParent();
