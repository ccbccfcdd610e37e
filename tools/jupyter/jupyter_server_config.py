# Jupyter server configuration for `make lab` (JUPYTER_CONFIG_DIR points here).
# Saving a chapter strips outputs, execution counts and editor metadata, so the stored notebook
# stays as the book and its tests expect (gpuecon.notebooks).
from gpuecon.notebooks import jupyter_pre_save_hook

c = get_config()  # noqa: F821 (provided by Jupyter when it loads this file)
c.ContentsManager.pre_save_hook = jupyter_pre_save_hook
c.ServerApp.ip = "127.0.0.1"
c.ServerApp.open_browser = False
c.ServerApp.allow_root = True  # a workbench in a container often runs as root; loopback only
