"""docs/proxy/guardrails/custom_guardrail: a CustomGuardrail subclass named module.Class."""
from litellm.integrations.custom_guardrail import CustomGuardrail


class myCustomGuardrail(CustomGuardrail):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    async def async_pre_call_hook(self, user_api_key_dict, cache, data, call_type):
        return data
