/* Offline drafts (filled in by step 3). Loaded by pages and by the service worker. */
(function (scope) {
  "use strict";
  scope.synergyDrafts = scope.synergyDrafts || {sendAll: function () { return Promise.resolve(); }};
})(self);
