"""docs/proxy/logging custom callback: a CustomLogger instance named in litellm_settings.callbacks."""
from litellm.integrations.custom_logger import CustomLogger


class MyCustomHandler(CustomLogger):
    async def async_log_success_event(self, kwargs, response_obj, start_time, end_time):
        pass


proxy_handler_instance = MyCustomHandler()
