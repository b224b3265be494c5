import { builder } from '../builder.js';
import './common.js';
import './work.js';
import './person.js';
import './project.js';
import './timeline.js';
import './organization.js';
import './analytics.js';
import './search.js';
import './identity.js';
import './mutations.js';
import './operations.js';
import './neighborhood.js';

export const schema = builder.toSchema({ sortSchema: true });
