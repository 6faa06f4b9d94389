"""Extension singletons, bound to the application in create_app()."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData

from app.core.db import NAMING_CONVENTION

# Objects stay readable after the view's commit (no reload query per attribute).
db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION),
                session_options={"expire_on_commit": False})
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Storage is chosen in create_app (memory by default, Redis when REDIS_URL is set).
limiter = Limiter(key_func=get_remote_address, default_limits=[])
