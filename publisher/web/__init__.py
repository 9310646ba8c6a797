"""The web tier: a Flask app factory, one blueprint per protocol.

`create_app(settings)` keeps no graph of its own: every request reads the version that the
store's `current` pointer names at that moment, so a build that publishes while the server
runs is picked up at the next request, without a restart and without a mix of versions.
"""

from __future__ import annotations

from flask import Flask

from publisher.settings import Settings, load_settings
from publisher.web import api, dataset, engine, errors, resources, sparql
from publisher.web.catalogue import Catalogues, VideoDates
from publisher.web.changes import bp as changes_bp
from publisher.web.http import RepresentationCache
from publisher.web.oai import bp as oai_bp
from publisher.web.reconcile import bp as reconcile_bp
from publisher.web.versions import Versions


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or load_settings()
    app = Flask(__name__)
    app.config["PUBLISHER_SETTINGS"] = settings
    app.extensions["publisher.versions"] = Versions(settings)
    app.extensions["publisher.representations"] = RepresentationCache()
    app.extensions["publisher.catalogues"] = Catalogues()
    app.extensions["publisher.video_dates"] = VideoDates()
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    engine.install(app)
    errors.register(app)
    app.register_blueprint(resources.bp)
    app.register_blueprint(dataset.bp)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(reconcile_bp)
    app.register_blueprint(changes_bp)
    app.register_blueprint(oai_bp)
    return app
